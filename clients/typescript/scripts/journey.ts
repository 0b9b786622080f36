/**
 * A student's journey through the typed client against a live server with the demo data:
 * sign up → sign in → catalog → enroll → lessons → complete → quiz start/save/submit →
 * certificate. Usage: `node build/scripts/journey.js http://127.0.0.1:PORT` (check.sh does it).
 *
 * The instructor's view of the quiz supplies the right answers, so the student passes.
 */
import assert from "node:assert/strict";

import { createLmsClient, memoryTokenStore, type Schemas } from "../src/index.js";

const baseUrl = process.argv[2] ?? "http://127.0.0.1:8000";
const DEMO_PASSWORD = "learn-demo-2026";
const COURSE_SLUG = "python-fundamentals";

function step(message: string): void {
  console.log(`journey: ${message}`);
}

function correctAnswers(questions: Schemas["Question"][]): Schemas["SubmitAnswerRequest"][] {
  return questions.map((question) => {
    if (question.kind === "short_answer") {
      return { question: question.id, text: question.accepted_answers[0] ?? "" };
    }
    const right = question.choices.filter((choice) => choice.is_correct);
    return { question: question.id, choices: right.map((choice) => choice.id) };
  });
}

async function main(): Promise<void> {
  const api = createLmsClient({ baseUrl, tokens: memoryTokenStore() });
  const email = `journey-${Date.now()}@example.com`;

  const registered = await api.POST("/api/v1/users/register/", {
    body: { email, password: "a-long-journey-2026", first_name: "Zoë", last_name: "Łukasz" },
  });
  assert.equal(registered.response.status, 201, JSON.stringify(registered.error));
  const signedIn = await api.login(email, "a-long-journey-2026");
  assert.ok(signedIn.user, JSON.stringify(signedIn.error));
  assert.equal(signedIn.user.role, "student");
  step(`signed up and in as ${signedIn.user.email}`);

  const catalog = await api.GET("/api/v1/courses/", { params: { query: { search: "Python" } } });
  assert.ok(catalog.data, JSON.stringify(catalog.error));
  const course = catalog.data.results.find((each) => each.slug === COURSE_SLUG);
  assert.ok(course, `${COURSE_SLUG} is in the catalog`);
  assert.ok(course.is_free);
  step(`catalog lists ${catalog.data.count} course(s); taking "${course.title}"`);

  const enrolled = await api.POST("/api/v1/enrollments/", { body: { course: course.id } });
  assert.ok(enrolled.data, JSON.stringify(enrolled.error));
  assert.equal(enrolled.data.status, "active");
  const again = await api.POST("/api/v1/enrollments/", { body: { course: course.id } });
  assert.equal(again.response.status, 409);
  assert.ok(again.error && "detail" in again.error);
  step(`enrolled (enrollment ${enrolled.data.id}); enrolling again is 409: ${again.error.detail}`);

  const lessons = await api.GET("/api/v1/lessons/", {
    params: { query: { course_id: course.id, page_size: 100 } },
  });
  assert.ok(lessons.data, JSON.stringify(lessons.error));
  for (const lesson of lessons.data.results) {
    const done = await api.POST("/api/v1/lessons/{id}/complete/", {
      params: { path: { id: lesson.id } },
    });
    assert.ok(done.data, JSON.stringify(done.error));
  }
  const progress = await api.GET("/api/v1/courses/{id}/progress/", {
    params: { path: { id: course.id } },
  });
  assert.ok(progress.data);
  assert.equal(progress.data.completed_lessons, progress.data.total_lessons);
  step(`completed ${progress.data.completed_lessons} lessons (${progress.data.percent}%)`);

  const quizzes = await api.GET("/api/v1/quizzes/", { params: { query: { course_id: course.id } } });
  assert.ok(quizzes.data, JSON.stringify(quizzes.error));
  const author = createLmsClient({ baseUrl });
  assert.ok((await author.login("ada@example.com", DEMO_PASSWORD)).user);
  for (const quiz of quizzes.data.results) {
    const questions = await author.GET("/api/v1/questions/", {
      params: { query: { quiz_id: quiz.id, page_size: 100 } },
    });
    assert.ok(questions.data, JSON.stringify(questions.error));
    const answers = correctAnswers(questions.data.results);

    const started = await api.POST("/api/v1/quizzes/{id}/start/", {
      params: { path: { id: quiz.id } },
    });
    assert.ok(started.data, JSON.stringify(started.error));
    const submissionId = started.data.submission_id;
    const saved = await api.PUT("/api/v1/quiz-submissions/{id}/answers/", {
      params: { path: { id: submissionId } },
      body: { answers: answers.slice(0, 1) },
    });
    assert.ok(saved.data, JSON.stringify(saved.error));
    const submitted = await api.POST("/api/v1/quizzes/{id}/submit/", {
      params: { path: { id: quiz.id } },
      body: { submission_id: submissionId, answers },
    });
    assert.ok(submitted.data, JSON.stringify(submitted.error));
    assert.ok(submitted.data.passed, `passed "${quiz.title}"`);
    step(`quiz "${quiz.title}": attempt ${started.data.attempt}, ${submitted.data.percent}%`);
  }

  const certificates = await api.GET("/api/v1/certificates/");
  assert.ok(certificates.data, JSON.stringify(certificates.error));
  const certificate = certificates.data.results.find((each) => each.course.id === course.id);
  assert.ok(certificate, "a certificate was issued");
  const verified = await createLmsClient({ baseUrl }).GET("/api/v1/certificates/verify/{code}/", {
    params: { path: { code: certificate.code } },
  });
  assert.ok(verified.data, JSON.stringify(verified.error));
  assert.equal(verified.data.student_name, "Zoë Łukasz");
  step(`certificate ${certificate.code} issued to ${verified.data.student_name}`);

  // A stale access token: the client refreshes once (rotation) and retries.
  const pair = api.tokens.get();
  assert.ok(pair);
  api.tokens.set({ access: "expired.or.tampered", refresh: pair.refresh });
  const [first, second] = await Promise.all([
    api.GET("/api/v1/users/me/"),
    api.GET("/api/v1/enrollments/"),
  ]);
  assert.equal(first.response.status, 200);
  assert.equal(second.response.status, 200);
  assert.notEqual(api.tokens.get()?.refresh, pair.refresh, "the refresh token rotated once");
  step("a bad access token was refreshed once for two concurrent calls");

  await api.logout();
  const after = await api.GET("/api/v1/users/me/");
  assert.equal(after.response.status, 401);
  step("signed out; journey complete");
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
