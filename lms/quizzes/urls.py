"""Routes for quizzes, their questions and students' attempts."""

from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("quizzes", views.QuizViewSet, basename="quiz")
router.register("questions", views.QuestionViewSet, basename="question")
router.register("quiz-submissions", views.QuizSubmissionViewSet, basename="quiz-submission")

urlpatterns = router.urls
