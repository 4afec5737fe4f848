"""paiban: typesets Chinese newspaper pages into print-ready PDF."""
__version__ = "0.1.0"
