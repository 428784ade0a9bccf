"""A discriminator that learns fast on small data: Projected GAN (Sauer et al., 2021).

Real and generated crops are seen through frozen ImageNet MobileNetV2 features at three
depths (strides 4, 8, 16: yarn and edges, bands, motifs). Each depth's channels are mixed
by a fixed random 1x1 projection (the paper's cross-channel mixing: no single pretrained
feature can dominate), and a small trainable head per depth scores the mixed features.
Only the heads learn, so a few hundred swatches and a CPU budget are enough to give the
generator a useful signal from the first iterations.

Optionally each head also sees how much its features vary across the batch (StyleGAN's
minibatch standard deviation, Karras et al. 2018): a generator that draws one colourway for
every latent is then told apart from the varied real batch by that statistic alone.
"""
import torch
import torch.nn as nn
from torch.nn.utils.parametrizations import spectral_norm

from models.pretrained import imagenet_mobilenet_v2_state

TAPS = (3, 6, 13)  # MobileNetV2 stages: strides 4, 8, 16; channels 24, 32, 96
TAP_CHANNELS = {3: 24, 6: 32, 13: 96}
MEAN = torch.tensor([0.485, 0.456, 0.406])[None, :, None, None]
STD = torch.tensor([0.229, 0.224, 0.225])[None, :, None, None]


class BatchSpread(nn.Module):
    """Appends batch_spread's map as one more channel. [B, C, H, W] -> [B, C + 1, H, W]"""

    def __init__(self, group: int):
        super().__init__()
        self.group = group

    def forward(self, h: torch.Tensor) -> torch.Tensor:
        return torch.cat([h, batch_spread(h, self.group)], 1)


def batch_spread(h: torch.Tensor, group: int) -> torch.Tensor:
    """The standard deviation of each feature within groups of `group` crops, averaged to one
    number per group and given to every crop of it as a map. [B, C, H, W] -> [B, 1, H, W]"""
    b, c, height, width = h.shape
    g = min(group, b)
    if b % g:
        raise ValueError(f"a batch of {b} does not split into groups of {g}")
    spread = h.view(g, b // g, c, height, width).std(0, unbiased=False).mean((1, 2, 3))  # [B / g]
    return spread.repeat(g)[:, None, None, None].expand(b, 1, height, width)


class ProjectedDiscriminator(nn.Module):
    def __init__(self, mixed: int = 64, seed: int = 0, batch_group: int = 0):
        super().__init__()
        import torchvision

        net = torchvision.models.mobilenet_v2()
        net.load_state_dict(imagenet_mobilenet_v2_state())
        self.stages = net.features[: max(TAPS) + 1].eval().requires_grad_(False)
        rng = torch.Generator().manual_seed(seed)
        # Fixed random mixing, not trained (a buffer, so it travels with the checkpoint).
        for tap in TAPS:
            self.register_buffer(f"mix_{tap}", torch.randn(mixed, TAP_CHANNELS[tap], generator=rng) / TAP_CHANNELS[tap] ** 0.5)
        # Without the spread, a head's layers keep the names earlier checkpoints saved them under.
        spread = [BatchSpread(batch_group)] if batch_group else []
        self.heads = nn.ModuleList(nn.Sequential(
            spectral_norm(nn.Conv2d(mixed, mixed, 3, padding=1)), nn.LeakyReLU(0.2), *spread,
            spectral_norm(nn.Conv2d(mixed + len(spread), 1, 1))) for _ in TAPS)

    def train(self, mode: bool = True):
        super().train(mode)
        self.stages.eval()  # frozen BatchNorm statistics, whatever the mode
        return self

    def forward(self, x: torch.Tensor) -> list[torch.Tensor]:
        """x: [B, 3, H, W] in -1..1 -> one score per depth, each [B]."""
        x = ((x + 1) / 2 - MEAN.to(x.device)) / STD.to(x.device)
        scores = []
        for index, stage in enumerate(self.stages):
            x = stage(x)
            if index in TAPS:
                mixed = torch.einsum("oc,bchw->bohw", getattr(self, f"mix_{index}"), x)
                scores.append(self.heads[len(scores)](mixed).flatten(1).mean(1))
        return scores
