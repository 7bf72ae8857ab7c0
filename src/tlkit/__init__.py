"""Teacher Leader Kit: course logic for teacher leaders' professional learning.

Plain logic lives in this package (tlkit.protocols, tlkit.clock, tlkit.calibration, ...);
the ipywidgets components that sit on it live in tlkit.widgets.
"""

__version__ = "0.1.0"
