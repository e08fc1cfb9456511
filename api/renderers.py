from rest_framework import renderers


class JSONRenderer(renderers.JSONRenderer):
    """JSON with <, > and & written as \\u escapes (as Django's json_script
    does): page text and rendered HTML travel as data, and a response sniffed
    or pasted into a page can never open a tag."""

    def render(self, data, accepted_media_type=None, renderer_context=None):
        body = super().render(data, accepted_media_type, renderer_context)
        return (
            body.replace(b"<", b"\\u003c")
            .replace(b">", b"\\u003e")
            .replace(b"&", b"\\u0026")
        )
