"""One pagination for every list: Django's Paginator, one template
(templates/includes/pagination.html)."""

from django.core.paginator import InvalidPage, Page, PageNotAnInteger, Paginator


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


# Page numbers past this show an empty page without asking the database.
MAX_UNCOUNTED_PAGE = 100_000


class UncountedPage(Page):
    def __init__(self, object_list, number, paginator, *, more: bool):
        super().__init__(object_list, number, paginator)
        self.more = more

    def has_next(self):
        return self.more

    def start_index(self):
        if not self.object_list:
            return 0
        return self.paginator.per_page * (self.number - 1) + 1

    def end_index(self):
        return self.start_index() + len(self.object_list) - 1 if self.object_list else 0


class UncountedPaginator(Paginator):
    """Pages of a list that grows with the site (every change ever made),
    without counting it: a page reads one entry past its end to know whether
    there is a next one.  ``counted`` is False: no total, no number of pages.
    """

    counted = False

    def validate_number(self, number):
        try:
            number = int(number)
        except (TypeError, ValueError) as error:
            raise PageNotAnInteger("That page number is not an integer") from error
        if number < 1:
            raise InvalidPage("That page number is less than 1")
        return number

    def get_page(self, number):
        try:
            number = self.validate_number(number)
        except InvalidPage:
            number = 1
        return self.page(number)

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        if number > MAX_UNCOUNTED_PAGE:
            rows = []  # past any real end (and past what a database offsets)
        else:
            rows = list(self.object_list[bottom : bottom + self.per_page + 1])
        return UncountedPage(
            rows[: self.per_page], number, self, more=len(rows) > self.per_page
        )


def paginate(
    request,
    object_list,
    per_page: int,
    *,
    count: int | None = None,
    counted: bool = True,
) -> dict:
    """The page of ``object_list`` that ``?page=`` asks for, as the context
    ListView gives (``paginator``, ``page_obj``, ``is_paginated``, ``object_list``).

    A number past the end shows the last page and anything else the first one
    (``Paginator.get_page``): a stale link still lands on a list.  ``count``:
    the number of entries, when it is known without counting them.
    ``counted=False``: pages without a total (``UncountedPaginator``).
    """
    if not counted:
        paginator = UncountedPaginator(object_list, per_page)
    elif count is None:
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


def page_numbers(page_obj: Page) -> list:
    """The numbers of the pages around ``page_obj`` and at the ends of its
    list, with ``Paginator.ELLIPSIS`` for the gaps (1 … 4 5 6 7 8 … 86): few
    enough for a phone's width.  For a counted list only."""
    return list(
        page_obj.paginator.get_elided_page_range(
            page_obj.number, on_each_side=2, on_ends=1
        )
    )


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
