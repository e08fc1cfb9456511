from django import template

from people.timeline import career_timeline

register = template.Library()


@register.inclusion_tag("people/career_timeline.html")
def timeline(person, navigation):
    return career_timeline(person, navigation)


@register.filter
def has_career(person, navigation) -> bool:
    return bool(career_timeline(person, navigation)["entries"])
