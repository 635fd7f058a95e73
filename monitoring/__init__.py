"""Monitoring the partnership: anonymous questionnaires on collective teacher
efficacy (instruments, rounds, answering, results with small-cell suppression).

**Anonymity.** An answer can never be tied to the person who gave it, not even by
an admin with full access to the database:

- An ``Invitation`` (round, person, ``key``, ``used``) proves the right to answer
  once. The mailed link is ``<key>.<signature>``: the signature is an HMAC of the
  key with the server's secret, so the database alone cannot make a working link.
- A ``Response`` (round, answers, batch) and its ``Score`` rows have **no** foreign
  key to the invitation or the person, random UUID primary keys (no id that follows
  the invitation order) and **no timestamp** at all; the invitation keeps only the
  boolean ``used``, never when. So no column can be joined, and no two times
  compared.
- Submitting locks the round, marks the invitation used and stores the response in
  one transaction, and in the same transaction rewrites every invitation, response
  and score row of that round. On PostgreSQL every row version carries the id of
  the transaction that wrote it (``xmin``): without the rewrite, the response and
  the invitation used with it would share one. With it, all rows of the round carry
  the same one.

**Small cells.** No figure is shown for fewer than ``MIN_RESPONDENTS`` (5) people.
Every response gets a ``batch`` number (the first five answers of a round are batch
0, the next five batch 1, …) and **every published figure, at every level and in
every export, is computed over complete batches only**. Any difference between two
published figures (the network minus all schools but one, a community minus one of
its schools, the same page before and after one more answer) is therefore a union
of whole batches: nobody or at least five people. This is the complementary
suppression the differencing attack calls for, done by construction; the price is
that the last one to four answers of a round count in the response rate but not in
the means. See ``docs/monitoring.md``.
"""
