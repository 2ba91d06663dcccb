"""Model zoo: TF-Slim networks and pretrained weights."""
