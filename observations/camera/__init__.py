"""Camera traps: the services behind deployments, photos, sequences, classification,
relative abundance, Camtrap DP and transboundary individual matches.

- ``deployments``: create and change a deployment (a "camera_trap" SurveyEvent + details);
- ``safety``: is an upload a real, whole, single JPEG/PNG/TIFF of sane size?
- ``ingest``: the upload (stored as received, deduplicated by SHA-256) and the task's work
  (EXIF, a thumbnail and a preview from one reduced-size decode);
- ``sequences``: grouping a deployment's photos into bursts;
- ``classify``: a person's verdict on a sequence, filed as observations;
- ``abundance``: detections per 100 trap-nights, both ways of counting;
- ``camtrap_dp``: export and import of Camtrap DP 1.0 data packages;
- ``matches``: "RU T-12 is CN AT-033", confirmed by both sides.
"""
