"""The mathematics of backprop-tutor: networks, backprop, answer checking and exercises."""
