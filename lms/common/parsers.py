"""The API's JSON parser: every body it cannot turn into plain data is a 400, never a 500."""

import json

from rest_framework import exceptions, parsers


class JSONParser(parsers.JSONParser):
    """DRF's parser, plus two failures it lets through: nesting deep enough to exhaust the
    recursion limit, and escaped lone surrogates (valid JSON no database or encoder accepts).
    Bodies over DATA_UPLOAD_MAX_MEMORY_SIZE are refused by Django before they get here."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
            json.dumps(data, ensure_ascii=False).encode("utf-8")
        except RecursionError:
            raise exceptions.ParseError("JSON parse error - nested too deeply.") from None
        except UnicodeEncodeError:
            raise exceptions.ParseError("JSON parse error - a lone surrogate escape.") from None
        return data
