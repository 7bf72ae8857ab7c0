"""The kit's interactive components (ipywidgets), each a thin view over plain logic in tlkit."""
