"""One pagination for every list: Django's Paginator, one template
(templates/includes/pagination.html)."""

from django.core.paginator import Paginator


class CountedPaginator(Paginator):
    """A paginator told how many entries there are (a kept count, no COUNT).

    A page always holds up to ``per_page`` entries, whatever the count says,
    so a count that lags behind the list never hides an entry.
    """

    def __init__(self, object_list, per_page, *, count: int):
        super().__init__(object_list, per_page)
        self.__dict__["count"] = count  # fills the cached_property

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        return self._get_page(
            self.object_list[bottom : bottom + self.per_page], number, self
        )


def paginate(request, object_list, per_page: int, *, count: int | None = None) -> dict:
    """The page of ``object_list`` that ``?page=`` asks for, as the context
    ListView gives (``paginator``, ``page_obj``, ``is_paginated``, ``object_list``).

    A number past the end shows the last page and anything else the first one
    (``Paginator.get_page``): a stale link still lands on a list.  ``count``:
    the number of entries, when it is known without counting them.
    """
    if count is None:
        paginator = Paginator(object_list, per_page)
    else:
        paginator = CountedPaginator(object_list, per_page, count=count)
    page_obj = paginator.get_page(request.GET.get("page"))
    return {
        "paginator": paginator,
        "page_obj": page_obj,
        "is_paginated": page_obj.has_other_pages(),
        "object_list": page_obj.object_list,
    }


class PaginatedListMixin:
    """For a ``ListView``: pages as ``paginate`` gives them (a number past the
    end shows the last page, anything else the first), not Django's 404."""

    def paginate_queryset(self, queryset, page_size):
        context = paginate(self.request, queryset, page_size)
        return (
            context["paginator"],
            context["page_obj"],
            context["object_list"],
            context["is_paginated"],
        )
