"""Prozessatlas: a BPMN 2.0 process repository for city administrations."""
