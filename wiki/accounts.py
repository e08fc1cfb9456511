"""Accounts: sign up, log in, log out, password change, and the header's counts.

Logging in, out and changing a password are Django's own views with our
templates; signing up is ours, because a new account joins Contributors.
"""

from functools import cached_property

from django import forms
from django.contrib.auth import get_user_model, login
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import UserCreationForm
from django.contrib.auth.models import Group
from django.db import transaction
from django.shortcuts import redirect, render, resolve_url
from django.urls import path, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.debug import sensitive_post_parameters

from wiki.models import Notification, Proposal
from wiki.roles import CONTRIBUTORS


class SignupForm(UserCreationForm):
    email = forms.EmailField(
        required=False,
        help_text="Optional. We write to it only when a moderator decides on your "
        "proposal.",
    )

    class Meta(UserCreationForm.Meta):
        model = get_user_model()
        fields = ("username", "email")


@transaction.atomic
def account_signup(*, form: SignupForm):
    """Create the account a valid sign-up form describes; it joins Contributors."""
    user = form.save()
    contributors, _ = Group.objects.get_or_create(name=CONTRIBUTORS)
    user.groups.add(contributors)
    return user


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    # A printable path on this site: anything else would be taken for a view's
    # name, or break the Location header.
    on_site = target.startswith("/") and target.isprintable()
    if on_site and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return resolve_url("wiki:home")


@sensitive_post_parameters("password1", "password2")
def signup(request):
    if request.user.is_authenticated:
        return redirect(_next_url(request))
    form = SignupForm(request.POST or None)
    if form.is_valid():
        user = account_signup(form=form)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect(_next_url(request))
    return render(
        request,
        "registration/signup.html",
        {"form": form, "next": request.POST.get("next") or request.GET.get("next")},
    )


class HeaderCounts:
    """What the site header counts for the signed-in user, queried only if shown."""

    def __init__(self, user):
        self.user = user

    @cached_property
    def unread_notifications(self) -> int:
        return Notification.objects.filter(
            recipient=self.user, read_at__isnull=True
        ).count()

    @cached_property
    def can_review(self) -> bool:
        return self.user.has_perm("wiki.review_proposal")

    @cached_property
    def pending_reviews(self) -> int:
        return Proposal.objects.pending().count() if self.can_review else 0


def header_counts(request) -> dict:
    """Context processor: counts for the header, or nothing for readers."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"header": HeaderCounts(user)}


app_name = "accounts"
urlpatterns = [
    path("signup/", signup, name="signup"),
    path(
        "login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password/",
        auth_views.PasswordChangeView.as_view(
            success_url=reverse_lazy("accounts:password_change_done")
        ),
        name="password_change",
    ),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
]
