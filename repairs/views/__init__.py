"""Views of the repairs app: the resident journey (journey.py) and the public status page (status.py)."""
