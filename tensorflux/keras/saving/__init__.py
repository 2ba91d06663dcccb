"""Keras model files: configs (`model_config`) and HDF5 weights and models (`hdf5_format`)."""
