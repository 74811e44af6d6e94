"""申办提交 (application submission): `submit.application_submit` is the entry; `applicant` and
`materials` validate, `store` writes."""
