"""Platform utilities TF1 programs use: tf.app, tf.flags, tf.logging, tf.gfile, tf.test."""
