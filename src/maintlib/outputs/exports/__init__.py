"""The plan's windows for the tools that execute them, one module per target:

* :mod:`~maintlib.outputs.exports.ssm` — AWS Systems Manager maintenance windows
  (a CloudFormation template; :func:`~maintlib.outputs.exports.ssm.apply_ssm`
  creates them through boto3);
* :mod:`~maintlib.outputs.exports.azure` — Azure Update Manager maintenance
  configurations (an ARM template, ``Microsoft.Maintenance/maintenanceConfigurations``);
* :mod:`~maintlib.outputs.exports.awx` — AWX/Ansible: an inventory with groups per
  window and ring, and AWX schedules as RRULEs.

What a target cannot express is never dropped silently: each export carries
``check``-style warnings (:class:`~maintlib.outputs.exports.windows.ExportWarning`)
that name the window or asset and what is lost. ``docs/integrations.md`` lists
each target's limits.
"""
