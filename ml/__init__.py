"""Dog / cat / neither photo classifier (EfficientNet-Lite0, ImageNet weights, Keras).

Safe to import from the web process: only ``ml.efficientnet_lite`` imports TensorFlow/Keras at
import time, and only ``ml.runtime`` (lazily, on first use in a worker) imports that.
"""
