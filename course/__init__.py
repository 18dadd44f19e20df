"""The course content: models, loading and validation, quiz logic. Pure Python."""

from course.course import Course
from course.errors import ContentErrors, Problem
from course.loader import load_course

__all__ = ["ContentErrors", "Course", "Problem", "load_course"]
