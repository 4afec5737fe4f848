"""Automatic page make-up (自动组版): modules for the articles an issue file leaves unplaced.

measure.py reads an article's figures off paiban's own composition; variants.py turns them into
the module heights an article can take at each span; search.py finds the page structure (a
guillotine dynamic programme) and verifies it by composing; explain.py prints the plan.
docs/planning.md describes the rules and the score terms.
"""
