"""The quiz engine, as a package: `draw` (which questions, in which order), `types` (what the engine
hands its callers: question views, feedback, summaries), `results` (scores and the mistake book) and
`engine` (starting, answering, deadlines and ending, all in the caller's database session)."""
