"""WeasyPrint may fetch only the project's own template assets (fonts, CSS) and inline
data: URLs. Anything else - other files, ../ escapes, symlinks out, any network - is
refused and recorded, so plan or template content cannot make the build read or fetch."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse


class RefusedURL(FatalURLFetchingError):  # type: ignore[misc]
    """A URL outside what a document may use."""


class RestrictedFetcher(URLFetcher):  # type: ignore[misc]
    def __init__(self, allowed_root: Path):
        super().__init__(allowed_protocols=("file", "data"))
        self.root = allowed_root.resolve()
        self.refused: list[str] = []

    def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
        parts = urlsplit(url)
        if parts.scheme == "data":
            return super().fetch(url)
        if parts.scheme == "file" and parts.netloc in ("", "localhost"):
            path = Path(unquote(parts.path)).resolve()
            if path.is_relative_to(self.root) and path.is_file():
                return URLFetcherResponse(url, path.read_bytes())
        self.refused.append(url)
        raise RefusedURL(f"refused to fetch {url}: only files inside {self.root} may be used")
