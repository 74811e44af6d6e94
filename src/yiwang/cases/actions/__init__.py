"""办件动作: every action on a case or an application, by family, each guarded by the access policy and
the state machine and carried out by the one `transition()` (cases.transition).

- `intake`: accept (受理), refuse (不予受理), the 补正 notice and the supplement, §32's deemed acceptance;
- `review`: start review, special procedures (suspend / resume), the extension;
- `decision`: approve, deny, complete (the licence it issues, the bundle members waiting for it);
- `application`: actions on a whole application (a bundle taken in at one window), withdrawal;
- `dispatch`: the API's `{"action": …}` body to the action (`case_act`, `application_act`);
- `sweep`: §32 applied to every case past its notice deadline.

What a user may do now is read by cases.selectors (`case_actions_available`,
`application_actions_available`); the actions refuse the same things when tried.
"""
