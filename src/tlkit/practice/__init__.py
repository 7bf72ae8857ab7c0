"""The practices the course teaches, as plain logic: protocols and their timing, the protocol clock, peer observation, calibration statistics, feedback sorting."""
