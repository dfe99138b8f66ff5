"""Server-rendered HTML pages (Jinja2) around the bpmn-js modeler and viewer."""
