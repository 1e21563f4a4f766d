/// The management API's OpenAPI 3.1 document, served at `GET /v1/openapi.json`. Every path and
/// method here is a route of `ManagementAPI.routes` and the reverse (a test checks both ways).
enum OpenAPIDocument {
    static let json = #"""
        {
          "openapi": "3.1.0",
          "info": {
            "title": "vigild management API",
            "version": "1",
            "description": "Incidents (list, read, timeline, evidence records, actions), the incident report, webhook endpoints and deliveries, and a PagerDuty Events API v2 endpoint. Writes need a bearer token from [api] tokens; reads too unless [api] anonymous_reads is on (loopback clients only). Errors are {\"error\": reason}."
          },
          "security": [{"bearer": []}],
          "paths": {
            "/v1/incidents": {
              "get": {
                "operationId": "listIncidents",
                "summary": "Incidents, newest first, a page at a time",
                "parameters": [
                  {"name": "status", "in": "query", "description": "Comma-separated statuses", "schema": {"type": "string", "pattern": "^(firing|acknowledged|resolved|merged)(,(firing|acknowledged|resolved|merged))*$"}},
                  {"name": "severity", "in": "query", "description": "Comma-separated severities", "schema": {"type": "string", "pattern": "^(critical|error|warning|info)(,(critical|error|warning|info))*$"}},
                  {"name": "since", "in": "query", "description": "Opened at or after: RFC 3339, -1h, 30d, today, @EPOCH", "schema": {"type": "string"}},
                  {"name": "q", "in": "query", "description": "Text the title contains", "schema": {"type": "string"}},
                  {"name": "service", "in": "query", "description": "The incident's service label", "schema": {"type": "string"}},
                  {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 1000, "default": 50}},
                  {"name": "cursor", "in": "query", "description": "next_cursor of the previous page", "schema": {"type": "integer", "minimum": 0}}
                ],
                "responses": {
                  "200": {"description": "A page", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/IncidentPage"}}}},
                  "400": {"$ref": "#/components/responses/BadRequest"},
                  "401": {"$ref": "#/components/responses/Unauthorized"}
                }
              }
            },
            "/v1/incidents/{id}": {
              "parameters": [{"$ref": "#/components/parameters/id"}],
              "get": {
                "operationId": "getIncident",
                "summary": "One incident with its notes",
                "responses": {
                  "200": {"description": "The incident", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/IncidentWithNotes"}}}},
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "404": {"$ref": "#/components/responses/NotFound"}
                }
              },
              "patch": {
                "operationId": "updateIncident",
                "summary": "Set or clear the assignee",
                "requestBody": {"required": true, "content": {"application/json": {"schema": {
                  "type": "object", "required": ["assignee"], "additionalProperties": false,
                  "properties": {"assignee": {"type": ["string", "null"], "minLength": 1}}}}}},
                "responses": {
                  "200": {"$ref": "#/components/responses/Incident"},
                  "400": {"$ref": "#/components/responses/BadRequest"},
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "404": {"$ref": "#/components/responses/NotFound"},
                  "413": {"$ref": "#/components/responses/TooLarge"},
                  "415": {"$ref": "#/components/responses/UnsupportedMediaType"}
                }
              }
            },
            "/v1/incidents/{id}/timeline": {
              "parameters": [{"$ref": "#/components/parameters/id"}],
              "get": {
                "operationId": "getTimeline",
                "summary": "The incident's CloudEvents, oldest first",
                "responses": {
                  "200": {"description": "The timeline", "content": {"application/json": {"schema": {
                    "type": "object", "required": ["events"],
                    "properties": {"events": {"type": "array", "items": {"$ref": "#/components/schemas/CloudEvent"}}}}}}},
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "404": {"$ref": "#/components/responses/NotFound"}
                }
              }
            },
            "/v1/incidents/{id}/logs": {
              "parameters": [{"$ref": "#/components/parameters/id"}],
              "get": {
                "operationId": "getEvidenceRecords",
                "summary": "The evidence records, read from the store (NDJSON, as vigil query -o json)",
                "parameters": [{"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 10000, "default": 100}}],
                "responses": {
                  "200": {"description": "One JSON record per line", "content": {"application/x-ndjson": {"schema": {"type": "string"}}}},
                  "400": {"$ref": "#/components/responses/BadRequest"},
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "404": {"$ref": "#/components/responses/NotFound"}
                }
              }
            },
            "/v1/incidents/{id}/ack": {
              "parameters": [{"$ref": "#/components/parameters/id"}],
              "post": {"operationId": "acknowledgeIncident", "summary": "Acknowledge a firing incident", "responses": {
                "200": {"$ref": "#/components/responses/Incident"},
                "401": {"$ref": "#/components/responses/Unauthorized"},
                "404": {"$ref": "#/components/responses/NotFound"},
                "409": {"$ref": "#/components/responses/Conflict"}
              }}
            },
            "/v1/incidents/{id}/resolve": {
              "parameters": [{"$ref": "#/components/parameters/id"}],
              "post": {"operationId": "resolveIncident", "summary": "Resolve an open incident", "responses": {
                "200": {"$ref": "#/components/responses/Incident"},
                "401": {"$ref": "#/components/responses/Unauthorized"},
                "404": {"$ref": "#/components/responses/NotFound"},
                "409": {"$ref": "#/components/responses/Conflict"}
              }}
            },
            "/v1/incidents/{id}/reopen": {
              "parameters": [{"$ref": "#/components/parameters/id"}],
              "post": {"operationId": "reopenIncident", "summary": "Reopen a resolved incident", "responses": {
                "200": {"$ref": "#/components/responses/Incident"},
                "401": {"$ref": "#/components/responses/Unauthorized"},
                "404": {"$ref": "#/components/responses/NotFound"},
                "409": {"$ref": "#/components/responses/Conflict"}
              }}
            },
            "/v1/incidents/{id}/merge": {
              "parameters": [{"$ref": "#/components/parameters/id"}],
              "post": {
                "operationId": "mergeIncident",
                "summary": "Merge this incident into another",
                "requestBody": {"required": true, "content": {"application/json": {"schema": {
                  "type": "object", "required": ["into"], "properties": {"into": {"type": "string", "minLength": 1}}}}}},
                "responses": {
                  "200": {"$ref": "#/components/responses/Incident"},
                  "400": {"$ref": "#/components/responses/BadRequest"},
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "404": {"$ref": "#/components/responses/NotFound"},
                  "409": {"$ref": "#/components/responses/Conflict"},
                  "413": {"$ref": "#/components/responses/TooLarge"},
                  "415": {"$ref": "#/components/responses/UnsupportedMediaType"}
                }
              }
            },
            "/v1/incidents/{id}/notes": {
              "parameters": [{"$ref": "#/components/parameters/id"}],
              "post": {
                "operationId": "addNote",
                "summary": "Add a note",
                "requestBody": {"required": true, "content": {"application/json": {"schema": {
                  "type": "object", "required": ["text"], "properties": {"text": {"type": "string", "minLength": 1}}}}}},
                "responses": {
                  "201": {"description": "The note", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Note"}}}},
                  "400": {"$ref": "#/components/responses/BadRequest"},
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "404": {"$ref": "#/components/responses/NotFound"},
                  "413": {"$ref": "#/components/responses/TooLarge"},
                  "415": {"$ref": "#/components/responses/UnsupportedMediaType"}
                }
              }
            },
            "/v1/reports/incidents": {
              "get": {
                "operationId": "incidentReport",
                "summary": "Counts, MTTA, MTTR and flapping fingerprints of incidents opened in a period",
                "parameters": [
                  {"name": "since", "in": "query", "description": "Default 30d", "schema": {"type": "string"}},
                  {"name": "until", "in": "query", "description": "Default now", "schema": {"type": "string"}}
                ],
                "responses": {
                  "200": {"description": "The report", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Report"}}}},
                  "400": {"$ref": "#/components/responses/BadRequest"},
                  "401": {"$ref": "#/components/responses/Unauthorized"}
                }
              }
            },
            "/v1/fleet": {
              "get": {
                "operationId": "fleetStatus",
                "summary": "Fleet mode: this vigild's forwarder to NATS (cursor, sequence, pending blocks) and its NATS input (edges with their sequence, last record and lag); null when not configured",
                "responses": {
                  "200": {"description": "The forwarder and the input", "content": {"application/json": {"schema": {
                    "type": "object", "required": ["forwarder", "input"],
                    "properties": {"forwarder": {"type": ["object", "null"]}, "input": {"type": ["object", "null"]}}}}}},
                  "401": {"$ref": "#/components/responses/Unauthorized"}
                }
              }
            },
            "/v1/webhooks": {
              "get": {
                "operationId": "listWebhooks",
                "summary": "The configured webhook endpoints (and removed ones with queued deliveries): state, queue depth, oldest pending",
                "responses": {
                  "200": {"description": "The endpoints", "content": {"application/json": {"schema": {
                    "type": "object", "required": ["endpoints"],
                    "properties": {"endpoints": {"type": "array", "items": {"$ref": "#/components/schemas/WebhookEndpoint"}}}}}}},
                  "401": {"$ref": "#/components/responses/Unauthorized"}
                }
              }
            },
            "/v1/webhooks/{name}/test": {
              "parameters": [{"name": "name", "in": "path", "required": true, "description": "The endpoint's name", "schema": {"type": "string"}}],
              "post": {
                "operationId": "testWebhook",
                "summary": "Send a signed sample notification to the endpoint now, outside the queue, and return its answer",
                "responses": {
                  "200": {"description": "What the receiver answered", "content": {"application/json": {"schema": {
                    "type": "object", "required": ["id", "status", "body", "error", "latency_ms"],
                    "properties": {"id": {"type": "string"}, "status": {"type": ["integer", "null"]}, "body": {"type": ["string", "null"]},
                      "error": {"type": ["string", "null"]}, "latency_ms": {"type": "number"}}}}}},
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "404": {"$ref": "#/components/responses/NotFound"}
                }
              }
            },
            "/v1/webhooks/deliveries": {
              "get": {
                "operationId": "listDeliveries",
                "summary": "Webhook deliveries, newest first",
                "parameters": [
                  {"name": "state", "in": "query", "description": "Comma-separated states", "schema": {"type": "string", "pattern": "^(pending|delivered|dead)(,(pending|delivered|dead))*$"}},
                  {"name": "endpoint", "in": "query", "schema": {"type": "string"}},
                  {"name": "incident", "in": "query", "description": "INC-n, n or the incident's UUID", "schema": {"type": "string"}},
                  {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 1000, "default": 100}}
                ],
                "responses": {
                  "200": {"description": "The deliveries", "content": {"application/json": {"schema": {
                    "type": "object", "required": ["deliveries"],
                    "properties": {"deliveries": {"type": "array", "items": {"$ref": "#/components/schemas/Delivery"}}}}}}},
                  "400": {"$ref": "#/components/responses/BadRequest"},
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "404": {"$ref": "#/components/responses/NotFound"}
                }
              }
            },
            "/v1/webhooks/deliveries/{id}/retry": {
              "parameters": [{"name": "id", "in": "path", "required": true, "description": "The delivery's webhook-id", "schema": {"type": "string"}}],
              "post": {
                "operationId": "retryDelivery",
                "summary": "Put a dead (or delivered) delivery back in the queue, due now, with a fresh retry_for",
                "responses": {
                  "200": {"description": "The delivery", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Delivery"}}}},
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "404": {"$ref": "#/components/responses/NotFound"}
                }
              }
            },
            "/v1/webhooks/deliveries/retry-dead": {
              "post": {
                "operationId": "retryDeadDeliveries",
                "summary": "Put every dead delivery (to one endpoint, or to all) back in the queue",
                "parameters": [{"name": "endpoint", "in": "query", "schema": {"type": "string"}}],
                "responses": {
                  "200": {"description": "How many", "content": {"application/json": {"schema": {
                    "type": "object", "required": ["requeued"], "properties": {"requeued": {"type": "integer"}}}}}},
                  "401": {"$ref": "#/components/responses/Unauthorized"}
                }
              }
            },
            "/v1/events": {
              "post": {
                "operationId": "enqueueEvent",
                "summary": "PagerDuty Events API v2: trigger, acknowledge or resolve an incident by dedup_key",
                "security": [{"bearer": []}, {}],
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Event"}}}},
                "responses": {
                  "202": {"description": "Accepted", "content": {"application/json": {"schema": {
                    "type": "object", "required": ["status", "message", "dedup_key"],
                    "properties": {"status": {"const": "success"}, "message": {"type": "string"}, "dedup_key": {"type": "string"}}}}}},
                  "400": {"description": "Invalid event", "content": {"application/json": {"schema": {
                    "type": "object", "required": ["status", "message", "errors", "error"],
                    "properties": {"status": {"type": "string"}, "message": {"type": "string"}, "errors": {"type": "array", "items": {"type": "string"}}, "error": {"type": "string"}}}}}},
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "413": {"$ref": "#/components/responses/TooLarge"},
                  "415": {"$ref": "#/components/responses/UnsupportedMediaType"}
                }
              }
            },
            "/v1/openapi.json": {
              "get": {
                "operationId": "openAPIDocument", "summary": "This document", "security": [],
                "responses": {"200": {"description": "OpenAPI 3.1", "content": {"application/json": {"schema": {"type": "object"}}}}}
              }
            },
            "/healthz": {
              "get": {
                "operationId": "health", "summary": "Liveness", "security": [],
                "responses": {"200": {"description": "ok", "content": {"text/plain": {"schema": {"type": "string"}}}}}
              }
            }
          },
          "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "parameters": {
              "id": {"name": "id", "in": "path", "required": true, "description": "The incident's UUID, INC-n or n", "schema": {"type": "string"}}
            },
            "responses": {
              "Incident": {"description": "The incident after the change", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Incident"}}}},
              "BadRequest": {"description": "Malformed request", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
              "Unauthorized": {"description": "No valid bearer token", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
              "NotFound": {"description": "No such incident, delivery or webhook", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
              "Conflict": {"description": "Not allowed in the incident's state; the reason names the states", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
              "TooLarge": {"description": "Body larger than [api] max_body_bytes", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
              "UnsupportedMediaType": {"description": "Not application/json", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
            },
            "schemas": {
              "WebhookEndpoint": {
                "type": "object", "required": ["name", "url", "format", "state", "pending", "dead", "oldest_pending_at"],
                "properties": {
                  "name": {"type": "string"}, "url": {"type": ["string", "null"]}, "format": {"type": ["string", "null"]},
                  "state": {"type": "string", "description": "active, disabled, disabled (410 Gone), circuit open, circuit half_open, or removed"},
                  "pending": {"type": "integer"}, "dead": {"type": "integer"},
                  "oldest_pending_at": {"oneOf": [{"$ref": "#/components/schemas/Time"}, {"type": "null"}]}
                }
              },
              "Delivery": {
                "type": "object",
                "required": ["sequence", "id", "endpoint", "incident_id", "incident", "event_id", "event", "state", "attempts", "created_at",
                  "next_attempt_at", "last_attempt_at", "last_status", "last_error", "response", "finished_at"],
                "properties": {
                  "sequence": {"type": "integer"}, "id": {"type": "string", "description": "The webhook-id header"},
                  "endpoint": {"type": "string"}, "incident_id": {"type": ["string", "null"]}, "incident": {"type": ["string", "null"]},
                  "event_id": {"type": ["string", "null"]},
                  "event": {"enum": ["opened", "reopened", "severity_changed", "acknowledged", "resolved", "merged", "repeated", "test"]},
                  "state": {"enum": ["pending", "delivered", "dead"]}, "attempts": {"type": "integer"},
                  "created_at": {"$ref": "#/components/schemas/Time"},
                  "next_attempt_at": {"oneOf": [{"$ref": "#/components/schemas/Time"}, {"type": "null"}]},
                  "last_attempt_at": {"oneOf": [{"$ref": "#/components/schemas/Time"}, {"type": "null"}]},
                  "last_status": {"type": ["integer", "null"]}, "last_error": {"type": ["string", "null"]},
                  "response": {"type": ["string", "null"], "description": "The first KiB of the last failed answer"},
                  "finished_at": {"oneOf": [{"$ref": "#/components/schemas/Time"}, {"type": "null"}]}
                }
              },
              "Error": {"type": "object", "required": ["error"], "properties": {"error": {"type": "string"}}},
              "Time": {"type": "string", "format": "date-time"},
              "Severity": {"enum": ["critical", "error", "warning", "info"]},
              "Status": {"enum": ["firing", "acknowledged", "resolved", "merged"]},
              "EvidenceRecord": {
                "type": "object", "required": ["time", "host", "service", "severity", "message"],
                "properties": {"time": {"$ref": "#/components/schemas/Time"}, "host": {"type": "string"}, "service": {"type": "string"}, "severity": {"type": "string"}, "message": {"type": "string"}}
              },
              "Evidence": {
                "type": "object", "required": ["since", "until", "services", "hosts", "fields", "records", "query"],
                "properties": {
                  "since": {"$ref": "#/components/schemas/Time"}, "until": {"$ref": "#/components/schemas/Time"},
                  "services": {"type": "array", "items": {"type": "string"}}, "hosts": {"type": "array", "items": {"type": "string"}},
                  "min_severity": {"type": ["string", "null"]}, "message": {"type": ["string", "null"]},
                  "fields": {"type": "object", "additionalProperties": {"type": "string"}},
                  "records": {"type": "array", "items": {"$ref": "#/components/schemas/EvidenceRecord"}},
                  "query": {"type": "string", "description": "The vigil query command line that prints the evidence"},
                  "explanation": {"$ref": "#/components/schemas/Explanation"}
                }
              },
              "Explanation": {
                "type": "object", "description": "Why a rate or error-ratio signal fired",
                "required": ["measure", "observed", "expected", "lower", "upper", "parameters"],
                "properties": {
                  "measure": {"type": "string", "description": "records per 10s, error share per 1m"},
                  "observed": {"type": "number"}, "expected": {"type": "number"},
                  "lower": {"type": "number", "description": "The lowest value that would not have opened a signal"},
                  "upper": {"type": "number", "description": "The highest such value"},
                  "parameters": {"type": "object", "additionalProperties": {"type": "string"}, "description": "The detector settings that decided"}
                }
              },
              "Incident": {
                "type": "object",
                "required": ["id", "number", "reference", "title", "severity", "status", "fingerprint", "detector", "name", "labels", "first_seen", "last_seen", "opened_at", "signal_count", "flap_count", "evidence", "updated_at"],
                "properties": {
                  "id": {"type": "string", "format": "uuid"}, "number": {"type": "integer"}, "reference": {"type": "string"},
                  "title": {"type": "string"}, "severity": {"$ref": "#/components/schemas/Severity"}, "status": {"$ref": "#/components/schemas/Status"},
                  "fingerprint": {"type": "string"}, "detector": {"type": "string"}, "name": {"type": "string"},
                  "labels": {"type": "object", "additionalProperties": {"type": "string"}},
                  "first_seen": {"$ref": "#/components/schemas/Time"}, "last_seen": {"$ref": "#/components/schemas/Time"},
                  "opened_at": {"$ref": "#/components/schemas/Time"},
                  "acknowledged_at": {"type": ["string", "null"], "format": "date-time"}, "acknowledged_by": {"type": ["string", "null"]},
                  "resolved_at": {"type": ["string", "null"], "format": "date-time"}, "resolved_by": {"type": ["string", "null"]},
                  "signal_count": {"type": "integer"}, "flap_count": {"type": "integer"},
                  "assignee": {"type": ["string", "null"]}, "merged_into": {"type": ["string", "null"]},
                  "evidence": {"$ref": "#/components/schemas/Evidence"}, "updated_at": {"$ref": "#/components/schemas/Time"}
                }
              },
              "Note": {
                "type": "object", "required": ["author", "text", "time"],
                "properties": {"author": {"type": "string"}, "text": {"type": "string"}, "time": {"$ref": "#/components/schemas/Time"}}
              },
              "IncidentWithNotes": {
                "allOf": [{"$ref": "#/components/schemas/Incident"}, {"type": "object", "required": ["notes"], "properties": {"notes": {"type": "array", "items": {"$ref": "#/components/schemas/Note"}}}}]
              },
              "IncidentPage": {
                "type": "object", "required": ["incidents", "next_cursor"],
                "properties": {"incidents": {"type": "array", "items": {"$ref": "#/components/schemas/Incident"}}, "next_cursor": {"type": ["string", "null"]}}
              },
              "CloudEvent": {
                "type": "object", "required": ["specversion", "id", "source", "type", "subject", "time", "datacontenttype", "data"],
                "properties": {
                  "specversion": {"const": "1.0"}, "id": {"type": "string"}, "source": {"type": "string"},
                  "type": {"type": "string", "pattern": "^com\\.vigil\\.incident\\.[a-z_]+\\.v1$"}, "subject": {"type": "string"},
                  "time": {"$ref": "#/components/schemas/Time"}, "datacontenttype": {"const": "application/json"},
                  "actor": {"type": "string"}, "data": {"$ref": "#/components/schemas/Incident"}
                }
              },
              "Summary": {
                "type": "object", "required": ["count"],
                "properties": {"count": {"type": "integer"}, "mean": {"type": ["number", "null"]}, "p50": {"type": ["number", "null"]}, "p90": {"type": ["number", "null"]}}
              },
              "Report": {
                "type": "object", "required": ["since", "until", "total", "by_severity", "by_detector", "mtta", "mttr", "flapping"],
                "properties": {
                  "since": {"type": "integer", "description": "ns since the epoch"}, "until": {"type": "integer"}, "total": {"type": "integer"},
                  "by_severity": {"type": "object", "additionalProperties": {"type": "integer"}},
                  "by_detector": {"type": "object", "additionalProperties": {"type": "integer"}},
                  "mtta": {"$ref": "#/components/schemas/Summary"}, "mttr": {"$ref": "#/components/schemas/Summary"},
                  "flapping": {"type": "array", "items": {"type": "object", "required": ["fingerprint", "title", "flaps", "incidents"],
                    "properties": {"fingerprint": {"type": "string"}, "title": {"type": "string"}, "flaps": {"type": "integer"}, "incidents": {"type": "integer"}}}}
                }
              },
              "Event": {
                "type": "object", "required": ["event_action"],
                "if": {"properties": {"event_action": {"const": "trigger"}}},
                "then": {"required": ["payload"]},
                "else": {"required": ["dedup_key"]},
                "properties": {
                  "routing_key": {"type": "string", "description": "A token, when no Authorization header is sent"},
                  "event_action": {"enum": ["trigger", "acknowledge", "resolve"]},
                  "dedup_key": {"type": "string", "minLength": 1, "maxLength": 255},
                  "payload": {
                    "type": "object", "required": ["summary", "source", "severity"],
                    "properties": {
                      "summary": {"type": "string", "minLength": 1}, "source": {"type": "string", "minLength": 1},
                      "severity": {"$ref": "#/components/schemas/Severity"}, "timestamp": {"type": "string", "format": "date-time"},
                      "component": {"type": "string"}, "group": {"type": "string"}, "class": {"type": "string"},
                      "custom_details": {"type": "object"}
                    }
                  }
                }
              }
            }
          }
        }
        """#
}
