"""One pagination for every list: Django's Paginator, one template
(templates/includes/pagination.html)."""

from django.core.paginator import Paginator


def paginate(request, object_list, per_page: int) -> dict:
    """The page of ``object_list`` that ``?page=`` asks for, as the context
    ListView gives (``paginator``, ``page_obj``, ``is_paginated``, ``object_list``).

    A number past the end shows the last page and anything else the first one
    (``Paginator.get_page``): a stale link still lands on a list.
    """
    paginator = Paginator(object_list, per_page)
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
