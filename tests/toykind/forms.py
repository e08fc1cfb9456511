from tests.toykind.models import Dataset
from wiki.forms import PageForm


class DatasetForm(PageForm):
    class Meta(PageForm.Meta):
        model = Dataset
        fields = [*PageForm.Meta.fields, "licence"]
