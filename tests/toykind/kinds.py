"""The one declaration of the dataset kind: all the site needs to know of it."""

from tests.toykind.forms import DatasetForm
from tests.toykind.models import DATASET, Dataset
from wiki.registry import Kind


def dataset_structured_data(dataset, url_of) -> dict:
    data = {"@type": "Dataset"}
    if dataset.licence:
        data["license"] = dataset.licence
    return data


DATASET_KIND = Kind(
    kind=DATASET,
    model=Dataset,
    section="datasets",
    plural="Datasets",
    form=DatasetForm,
    template="toykind/dataset_detail.html",
    json_ld=dataset_structured_data,
    og_type="article",
    index="toykind:dataset_index",
    urls="tests.toykind.urls",
    moderated_models=(("toykind", "dataset"),),
    menu=60,
    order=60,
)
