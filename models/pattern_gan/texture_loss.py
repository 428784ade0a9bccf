"""An auxiliary texture-statistics loss for the generator: sliced Wasserstein distance between
the distributions of local ImageNet features of generated and real crops (Heitz et al., 2021),
pooled over the whole batch so that it matches a category's variety rather than one average.
It gives the generator a dense signal early on, when the discriminator's is still weak:
on a CPU budget of ~1000 iterations, that is the difference between blobs and patterns."""
import torch
import torch.nn.functional as F

from models.pattern_gan.sample import FAINT_SHARE, colour_contrast
from models.pretrained import imagenet_mobilenet_v2_state

# MobileNetV2 stages whose outputs are compared: strides 2, 4, 8 (local colour and edges) and
# 16 (stages 10 and 13: motifs the size of a check, a chevron or a herringbone rib). With the
# shallow taps alone, 1000 CPU iterations gave textures of the right colours but no structure.
TAPS = (1, 3, 6, 10, 13)
SHALLOW_TAPS = (1, 3, 6)  # what runs before the deep taps used; their checkpoints say nothing
MEAN = torch.tensor([0.485, 0.456, 0.406])[None, :, None, None]
STD = torch.tensor([0.229, 0.224, 0.225])[None, :, None, None]


class TextureFeatures(torch.nn.Module):
    def __init__(self, taps: tuple[int, ...] = TAPS):
        super().__init__()
        import torchvision

        net = torchvision.models.mobilenet_v2()
        net.load_state_dict(imagenet_mobilenet_v2_state())
        self.taps = tuple(taps)
        self.stages = net.features[: max(self.taps) + 1].eval().requires_grad_(False)

    def forward(self, x: torch.Tensor) -> list[torch.Tensor]:
        # x: [B, 3, H, W] in -1..1 -> per tap [B, h*w, C]
        x = ((x + 1) / 2 - MEAN.to(x.device)) / STD.to(x.device)
        out = []
        for index, stage in enumerate(self.stages):
            x = stage(x)
            if index in self.taps:
                out.append(x.flatten(2).transpose(1, 2))
        return out


def sliced_wasserstein(fake: torch.Tensor, real: torch.Tensor, generator: torch.Generator,
                       projections: int | None = None) -> torch.Tensor:
    """fake, real: [..., N, C] sample sets of the same size (a leading dimension pairs them) -> scalar.
    projections: how many random directions (default C)."""
    # Drawn on the CPU from the trainer's generator (resumable), then moved to the features' device.
    directions = F.normalize(torch.randn(fake.shape[-1], projections or fake.shape[-1], generator=generator),
                             dim=0).to(fake.device)  # [C, P]
    fake_sorted = (fake @ directions).sort(-2).values
    real_sorted = (real @ directions).sort(-2).values
    return F.mse_loss(fake_sorted, real_sorted)


def nearest_pairs(fake: list[torch.Tensor], real: list[torch.Tensor]) -> tuple[torch.Tensor, torch.Tensor]:
    """Pair every generated crop with the real crop whose feature statistics (per-tap channel
    means and standard deviations) are closest, and every real crop with its closest generated
    one. -> (fake indices [2B], real indices [2B])."""
    def statistics(taps):
        return torch.cat([torch.cat([t.mean(1), t.std(1)], 1) / t.shape[-1] ** 0.5 for t in taps], 1).detach()

    distance = torch.cdist(statistics(fake), statistics(real))  # [B fake, B real]
    every = torch.arange(distance.shape[0], device=distance.device)
    return torch.cat([every, distance.argmin(0)]), torch.cat([distance.argmin(1), every])


def texture_loss(fake_feats: list[torch.Tensor], real_feats: list[torch.Tensor], generator: torch.Generator,
                 match: str = "pooled") -> torch.Tensor:
    """fake_feats, real_feats: TextureFeatures' outputs for the generated and the real crops
    (the trainer computes the generated ones once, for this and for mode seeking).
    "pooled": the batch's features as one distribution, so that the category's variety is
    matched. "nearest": each generated crop as one texture, against the real crop it resembles
    most and back (as in implicit maximum likelihood): every pattern must be a single coherent
    texture, a stripe of one width and angle, rather than a blend of the batch."""
    if match == "pooled":
        return sum(sliced_wasserstein(f.flatten(0, 1), r.flatten(0, 1), generator)
                   for f, r in zip(fake_feats, real_feats))
    fake_index, real_index = nearest_pairs(fake_feats, real_feats)
    return sum(sliced_wasserstein(f[fake_index], r[real_index], generator) for f, r in zip(fake_feats, real_feats))


def colour_loss(fake: torch.Tensor, real: torch.Tensor, generator: torch.Generator, pixels: int = 4096,
                projections: int = 32) -> torch.Tensor:
    """Sliced Wasserstein distance between the batch's pixel colours and the real batch's
    ([B, 3, H, W] each), pooled: the category's colourways as a whole, not one average colour.
    A direct colour signal from the first iteration, while the discriminator learns shape."""
    def sample(x):
        flat = x.permute(0, 2, 3, 1).reshape(-1, 3)  # [B*H*W, 3]
        index = torch.randint(0, flat.shape[0], (pixels,), generator=generator).to(x.device)
        return flat[index]

    return sliced_wasserstein(sample(fake), sample(real), generator, projections)


def colourway_loss(fake: torch.Tensor, real: torch.Tensor, generator: torch.Generator,
                   projections: int = 32) -> torch.Tensor:
    """Sliced Wasserstein distance between the crops' colourways and the real crops' ([B, 3, H, W]
    each), a colourway being one crop's mean colour and spread per channel. The pooled colour
    loss is met by a batch that paints every crop in the category's whole palette; this one asks
    for the spread of colourways between patterns that real cloth has (ink generators, whose ink
    colours come from one layer of the latent, collapsed to a few colourways without it)."""
    def colourways(x):
        return torch.cat([x.mean((2, 3)), x.std((2, 3))], 1)  # [B, 6]

    return sliced_wasserstein(colourways(fake), colourways(real), generator, projections)


def faint_loss(fake: torch.Tensor, real: torch.Tensor, share: float = FAINT_SHARE) -> torch.Tensor:
    """How far each generated crop's colour contrast falls under `share` of the real crops'
    median, relative to that floor, averaged ([B, 3, H, W] each, in -1..1). The site redraws a
    tile that faint (sample.contrast_floor) and real cloth is rarely so; a generator that draws
    them wastes those seeds (the served houndstooth: 166 in 1000, in two near-equal colours)."""
    floor = share * colour_contrast(real).median()
    return F.relu(1 - colour_contrast(fake) / floor).mean()
