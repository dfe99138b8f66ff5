"""The pure BPMN core: safe parsing, validation, the element graph and the analysis.

Nothing here touches a database or HTTP: bytes and lxml trees in, dataclasses out.
"""
