"""Differentiable augmentation (Zhao et al., 2020) for small-data GAN training:
applied identically in kind to real and generated images before the discriminator."""
import torch


def diff_augment(x: torch.Tensor, colour: bool = True) -> torch.Tensor:
    """x: [B, 3, H, W] in -1..1 -> same shape. Colour (unless colour=False: it hides the
    colour distribution from the discriminator), circular translation, cutout."""
    b = x.shape[0]
    rand = lambda *shape: torch.rand(b, *shape, device=x.device, dtype=x.dtype)  # noqa: E731
    if colour:
        x = x + (rand(1, 1, 1) - 0.5)
        mean = x.mean(1, keepdim=True)
        x = (x - mean) * (rand(1, 1, 1) * 2) + mean
        mean = x.mean((1, 2, 3), keepdim=True)
        x = (x - mean) * (rand(1, 1, 1) + 0.5) + mean
    # Patterns are stationary, so a circular shift is a natural translation.
    h, w = x.shape[2:]
    shift_y = torch.randint(-h // 8, h // 8 + 1, (b,), device=x.device)
    shift_x = torch.randint(-w // 8, w // 8 + 1, (b,), device=x.device)
    rows = (torch.arange(h, device=x.device)[None, :] - shift_y[:, None]) % h  # [B, H]
    cols = (torch.arange(w, device=x.device)[None, :] - shift_x[:, None]) % w  # [B, W]
    x = x[torch.arange(b, device=x.device)[:, None, None], :, rows[:, :, None], cols[:, None, :]].permute(0, 3, 1, 2)
    cut_h, cut_w = h // 2, w // 2
    cy = torch.randint(0, h - cut_h + 1, (b, 1, 1), device=x.device)
    cx = torch.randint(0, w - cut_w + 1, (b, 1, 1), device=x.device)
    yy = torch.arange(h, device=x.device)[None, :, None]
    xx = torch.arange(w, device=x.device)[None, None, :]
    keep = ~((yy >= cy) & (yy < cy + cut_h) & (xx >= cx) & (xx < cx + cut_w))
    return x * keep[:, None].to(x.dtype)


def random_transpose(x: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
    """Swap the axes of a random half of the square crops [B, 3, S, S]: with flips, every
    quarter turn. Structured generators draw axis-aligned setts; photographed cloth lies either way."""
    turn = (torch.rand(x.shape[0], generator=generator) < 0.5).to(x.device)[:, None, None, None]
    return torch.where(turn, x.transpose(2, 3), x)
