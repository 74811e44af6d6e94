"""The citizen and enterprise portal: register, apply online, save drafts, follow and act on applications.

Views parse the request, call the case engine's services (`application_submit`, `case_act`,
`application_act`, `document_upload`) and render; every rule about what may be submitted or done
lives in the `cases`, `documents` and `catalog` apps.
"""
