"""Evaluating the course for a partner organisation (Guskey's levels) and each learner's PD hours and certificate."""
