"""An auxiliary texture-statistics loss for the generator: sliced Wasserstein distance between
the distributions of local ImageNet features of generated and real crops (Heitz et al., 2021),
pooled over the whole batch so that it matches a category's variety rather than one average.
It gives the generator a dense signal early on, when the discriminator's is still weak:
on a CPU budget of ~1000 iterations, that is the difference between blobs and patterns."""
import torch
import torch.nn.functional as F

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
        # x: [B, 3, H, W] in -1..1 -> per tap [B*h*w, C]
        x = ((x + 1) / 2 - MEAN) / STD
        out = []
        for index, stage in enumerate(self.stages):
            x = stage(x)
            if index in self.taps:
                out.append(x.permute(0, 2, 3, 1).reshape(-1, x.shape[1]))
        return out


def sliced_wasserstein(fake: torch.Tensor, real: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
    """fake, real: [N, C] samples of the same size -> scalar."""
    directions = F.normalize(torch.randn(fake.shape[1], fake.shape[1], generator=generator), dim=0)  # [C, P]
    fake_sorted = (fake @ directions).sort(0).values
    real_sorted = (real @ directions).sort(0).values
    return F.mse_loss(fake_sorted, real_sorted)


def texture_loss(features: TextureFeatures, fake: torch.Tensor, real: torch.Tensor,
                 generator: torch.Generator) -> torch.Tensor:
    with torch.no_grad():
        real_feats = features(real)
    return sum(sliced_wasserstein(f, r, generator) for f, r in zip(features(fake), real_feats))
