"""The quizzes area of the app."""
