def public_api_only(endpoints):
    """Document our member API, not the Wagtail admin's internal endpoints."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/")]
