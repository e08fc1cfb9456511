from django.shortcuts import render

from tests.toykind.models import Dataset
from wiki.views import index_context


def dataset_index(request):
    datasets = Dataset.objects.published().order_by("title")
    return render(
        request, "toykind/dataset_index.html", index_context(request, datasets)
    )
