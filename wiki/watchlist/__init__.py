"""Watchlists: the pages a user follows, the changes to them (``views``),
the notifications a change makes (``services``) and the daily digest by
mail (``digest``)."""
