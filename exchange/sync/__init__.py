"""Pull sync: fetch a partner's feed pages from the checkpoint and apply them here.

Each page is verified (its signature, then its shape), and applied in one
transaction together with the new checkpoint: a crash mid-sync resumes from
the last applied page, nothing doubled, nothing lost. Applying is idempotent
and order-proof: each record keeps the partner's revision (its feed number),
and an item that is not newer than what we hold is skipped, so a page
delivered twice or late changes nothing.

Received records keep their UUID and their origin node: they are read-only
here (observations.access refuses to change them).

Modules, one job each: ``pull`` (the client loop: claim, fetch pages, release),
``apply`` (one page in one transaction, through the records service's bulk form),
``build`` (a received item as the record to store), ``page`` (a page's shape and the
result of applying it).
"""
