"""Garment parser: a U-Net that labels each pixel of a person photo with one of 10 classes."""
