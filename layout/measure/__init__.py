"""Measuring: an article's content set for a span, before it is placed (`measure`)."""
from .article import ArticleContent, PhotoContent, measure

__all__ = ["ArticleContent", "PhotoContent", "measure"]
