"""Teacher Leader Kit: course logic for teacher leaders' professional learning.

Plain logic lives in this package (tlkit.practice.protocols, tlkit.practice.clock, tlkit.practice.calibration, ...);
the ipywidgets components that sit on it live in tlkit.widgets.
"""

__version__ = "0.1.0"
