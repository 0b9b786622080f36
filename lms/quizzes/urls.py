"""Routes for quizzes, their questions and students' attempts."""

from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("quizzes", views.QuizViewSet, basename="quiz")
router.register(
    r"quizzes/(?P<quiz_pk>[0-9]+)/accommodations",
    views.AccommodationViewSet,
    basename="quiz-accommodation",
)
router.register("questions", views.QuestionViewSet, basename="question")
router.register("quiz-submissions", views.QuizSubmissionViewSet, basename="quiz-submission")

urlpatterns = router.urls
