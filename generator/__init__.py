"""Survey-site generator: paper-listing dumps and a curated taxonomy become an MkDocs site."""
