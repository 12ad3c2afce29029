"""Writes of the field-record domain: ``<thing>_<action>`` functions with keyword arguments.

Views, API views, the importer, tasks and (later) the sync call these and
nothing else to change records, so every path obeys the same rules.
"""
