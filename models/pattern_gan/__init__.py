"""Pattern generators: one small periodic (seamless) GAN per pattern category."""
