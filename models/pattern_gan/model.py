"""A periodic, fully convolutional DCGAN-family pair for textile patterns.

The generator maps a spatial latent grid (one cell per 16x16 output pixels) to an image.
Every convolution pads circularly, so an output is exactly periodic: it tiles without a
seam at any size (as in the spatial/periodic GANs for textures, Jetchev et al.).
A global latent, shared by all cells, sets the pattern's look through per-channel
modulation; its mapped vector `w` is where the PCA "variation" directions live.

Local noise alone gives stationary but irregular textures (blobs): nothing makes a stripe
keep its phase across the image. As in PSGAN (Bergmann et al., 2017), `w` also sets the
wave vectors of a few plane waves fed to the generator, the carriers of stripes, checks and
lattices. Each wave vector is rounded to a whole number of cycles per tile, so outputs stay
exactly periodic at any grid size.

A print is a few flat inks, not a field of RGB values: with config "inks" K, the last layer
draws K ink logits and a shading channel per pixel, `w` sets the K ink colours, and each
pixel takes the inks' softmax mix. A smooth logit field through a softmax is a crisp edge,
which the thin full-resolution layers cannot draw in RGB (they drew soft blobs).
"""
from pathlib import Path

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.utils.parametrizations import spectral_norm

from models.paths import weights_dir

DEFAULT_CONFIG = {
    "z_local": 16,
    "z_global": 32,
    "w_dim": 64,
    "base_channels": 128,
    "channels": [64, 32, 16, 8],  # one per 2x upsampling: the output is 16x the latent grid
    # Nearest upsampling leaves a grid of faint steps every 2, 4, 8, 16 px; bilinear does not.
    # Weights trained before this key existed used nearest, and their config says nothing.
    "upsample": "bilinear",
    # Plane waves (PSGAN's periodic latent); weights trained before this key have none.
    "z_periodic": 8,
}
UPSAMPLE = 16
PERIODIC_LEVEL = 1  # the waves join before the second upsampling block: 4 samples per latent cell
MAX_CYCLES_PER_CELL = 1.5  # below that level's Nyquist limit (2), so the waves do not alias
PERIODIC_PARTS = ("wave.", "periodic_in.", "phase_projection")  # what generators without waves lack
INK_PARTS = ("to_inks.", "ink_colours.")  # what generators with an RGB output layer lack
RGB_PARTS = ("to_rgb.",)  # what ink generators replace
SHADING = 0.25  # how far the shading channel may darken or lighten an ink (yarn, weave, print)


class CircularConv(nn.Conv2d):
    def __init__(self, c_in: int, c_out: int, kernel: int = 3):
        super().__init__(c_in, c_out, kernel, padding=kernel // 2, padding_mode="circular")


def upsample2(x: torch.Tensor, mode: str) -> torch.Tensor:
    """2x upsampling that keeps a periodic signal periodic. [B, C, H, W] -> [B, C, 2H, 2W]"""
    if mode == "nearest":
        return F.interpolate(x, scale_factor=2, mode="nearest")
    # Bilinear reads one neighbour on each side: wrap it around instead of clamping at the edge.
    padded = F.pad(x, (1, 1, 1, 1), mode="circular")
    return F.interpolate(padded, scale_factor=2, mode="bilinear", align_corners=False)[:, :, 2:-2, 2:-2]


class ModulatedBlock(nn.Module):
    """conv -> per-channel scale and shift from w -> leaky ReLU."""

    def __init__(self, c_in: int, c_out: int, w_dim: int):
        super().__init__()
        self.conv = CircularConv(c_in, c_out)
        self.style = nn.Linear(w_dim, 2 * c_out)
        nn.init.zeros_(self.style.weight)
        nn.init.zeros_(self.style.bias)

    def forward(self, x: torch.Tensor, w: torch.Tensor) -> torch.Tensor:
        # x: [B, c_in, H, W], w: [B, w_dim] -> [B, c_out, H, W]
        gamma, beta = self.style(w)[:, :, None, None].chunk(2, dim=1)
        return F.leaky_relu(self.conv(x) * (1 + gamma) + beta, 0.2)


class Generator(nn.Module):
    def __init__(self, config: dict):
        super().__init__()
        self.config = dict(config)
        self.upsample = config.get("upsample", "nearest")
        w_dim, base = config["w_dim"], config["base_channels"]
        self.mapping = nn.Sequential(
            nn.Linear(config["z_global"], w_dim), nn.LeakyReLU(0.2), nn.Linear(w_dim, w_dim))
        self.stem = CircularConv(config["z_local"] + w_dim, base)
        self.base = ModulatedBlock(base, base, w_dim)
        widths = [base] + list(config["channels"])
        self.ups = nn.ModuleList(ModulatedBlock(a, b, w_dim) for a, b in zip(widths, widths[1:]))
        self.inks = config.get("inks", 0)
        if self.inks:
            self.to_inks = CircularConv(widths[-1], self.inks + 1)  # K ink logits and a shading
            self.ink_colours = nn.Linear(w_dim, 3 * self.inks)
        else:
            self.to_rgb = CircularConv(widths[-1], 3)
        self.z_periodic = config.get("z_periodic", 0)
        if self.z_periodic:
            self.wave = nn.Linear(w_dim, 2 * self.z_periodic)
            self.periodic_in = nn.Conv2d(self.z_periodic, widths[PERIODIC_LEVEL], 1)
            # Zero: a generator trained without waves keeps its output when they are added.
            nn.init.zeros_(self.periodic_in.weight)
            nn.init.zeros_(self.periodic_in.bias)
            # Fixed, not learned: spreads each w over phases so patterns differ by more than colour.
            self.register_buffer("phase_projection", torch.randn(self.z_periodic, w_dim) * 4.0)
        # Variation directions (PCA of w), filled in after training; zero until then.
        self.register_buffer("w_mean", torch.zeros(w_dim))
        self.register_buffer("w_directions", torch.zeros(3, w_dim))  # unit rows
        self.register_buffer("w_spread", torch.zeros(3))  # std of w along each direction

    def map(self, z_global: torch.Tensor) -> torch.Tensor:
        return self.mapping(z_global)  # [B, z_global] -> [B, w_dim]

    def wave_vectors(self, w: torch.Tensor, rows: int, cols: int) -> torch.Tensor:
        """[B, w_dim] -> [B, P, 2] (cycles per latent cell along x, y), each rounded so that a
        rows x cols grid holds whole cycles; the rounding passes gradients straight through."""
        k = MAX_CYCLES_PER_CELL * torch.tanh(self.wave(w)).view(-1, self.z_periodic, 2)
        cells = torch.tensor([cols, rows], dtype=k.dtype, device=k.device)
        return k + (torch.round(k * cells) / cells - k).detach()

    def periodic_field(self, w: torch.Tensor, rows: int, cols: int) -> torch.Tensor:
        """[B, w_dim] -> plane waves [B, P, s*rows, s*cols], s = samples per cell at PERIODIC_LEVEL."""
        s = 2 ** (PERIODIC_LEVEL + 1)
        k = self.wave_vectors(w, rows, cols)
        v = (torch.arange(s * rows, dtype=w.dtype, device=w.device) + 0.5) / s  # pixel centres, in cells
        u = (torch.arange(s * cols, dtype=w.dtype, device=w.device) + 0.5) / s
        phase = w @ self.phase_projection.T  # [B, P]
        angle = k[..., 0, None, None] * u[None, None, None, :] + k[..., 1, None, None] * v[None, None, :, None]
        return torch.sin(2 * torch.pi * angle + phase[..., None, None])

    def synthesise(self, z_local: torch.Tensor, w: torch.Tensor) -> torch.Tensor:
        # z_local: [B, z_local, h, w], w: [B, w_dim] -> [B, 3, 16h, 16w] in -1..1
        grid = w[:, :, None, None].expand(-1, -1, *z_local.shape[2:])
        x = F.leaky_relu(self.stem(torch.cat([z_local, grid], 1)), 0.2)
        x = self.base(x, w)
        for level, block in enumerate(self.ups):
            x = upsample2(x, self.upsample)
            if level == PERIODIC_LEVEL and self.z_periodic:
                x = x + self.periodic_in(self.periodic_field(w, *z_local.shape[2:]))
            x = block(x, w)
        if not self.inks:
            return torch.tanh(self.to_rgb(x))
        out = self.to_inks(x)  # [B, K + 1, H, W]
        mix = torch.softmax(out[:, :self.inks], 1)  # [B, K, H, W]
        colours = torch.tanh(self.ink_colours(w)).view(-1, self.inks, 3)  # [B, K, 3] in -1..1
        printed = torch.einsum("bkhw,bkc->bchw", mix, colours)
        shade = 1 + SHADING * torch.tanh(out[:, self.inks:])  # [B, 1, H, W]
        return ((printed + 1) * shade - 1).clamp(-1, 1)

    def forward(self, z_local: torch.Tensor, z_global: torch.Tensor) -> torch.Tensor:
        return self.synthesise(z_local, self.map(z_global))


class Discriminator(nn.Module):
    """Spectral-normalised DCGAN discriminator for 64x64 crops, hinge loss."""

    def __init__(self, widths=(32, 64, 128, 256)):
        super().__init__()
        layers, c_in = [], 3
        for c_out in widths:
            layers += [spectral_norm(nn.Conv2d(c_in, c_out, 4, 2, 1)), nn.LeakyReLU(0.2)]
            c_in = c_out
        self.features = nn.Sequential(*layers)
        self.head = spectral_norm(nn.Conv2d(c_in, 1, 4))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.features(x)).flatten(1).mean(1)  # [B, 3, 64, 64] -> [B]


def pattern_weights_dir() -> Path:
    return weights_dir() / "patterns"


def pattern_weights_path(category: str) -> Path:
    return pattern_weights_dir() / f"{category}.safetensors"
