def public_api_only(endpoints):
    """Document our member API, not the Wagtail admin's internal endpoints."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/")]


def document_rate_limits(result, generator, request, public):
    """Every operation may answer 429 (core.ratelimit): say so, with the Retry-After header."""
    components = result.setdefault("components", {})
    components.setdefault("responses", {})["RateLimited"] = {
        "description": "Too many requests: wait for the number of seconds in Retry-After.",
        "headers": {"Retry-After": {"schema": {"type": "integer"}, "description": "Seconds to wait."}},
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "properties": {"detail": {"type": "string"}},
                    "required": ["detail"],
                }
            }
        },
    }
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            if isinstance(operation, dict) and "responses" in operation:
                operation["responses"].setdefault("429", {"$ref": "#/components/responses/RateLimited"})
    return result
