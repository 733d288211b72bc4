"""Official documents: a neutral model, layout profiles as data, PDF and Word renderers."""
