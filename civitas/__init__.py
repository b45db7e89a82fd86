"""Civitas: stakeholder engagement for smart sustainable cities."""
