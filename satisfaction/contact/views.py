"""Customer pages: "Talk to a person", the confirmation link and the request's thread.

Thin views: parse the form, call one service. The form page is never cached
(it carries a signed render time); it works without JavaScript, the time zone
list picks the customer's zone and the "Show times" button re-lists the slots
in it.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from portal.models import ProductPage

from . import availability, selectors, services
from .forms import COMMUNITY, ContactForm, ReplyForm, started_token
from .tokens import CONFIRM, REPLY, InvalidLink, contact_from_token, contact_token_make


def _zone(request) -> str:
    zone = request.POST.get("time_zone") or request.GET.get("tz") or ""
    return zone if zone in services.TIME_ZONES else settings.CANDOR_CONTACT_TIME_ZONE


def _product(slug: str):
    if not slug:
        return None
    return ProductPage.objects.live().filter(slug=slug[:255]).first()


def _apply_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


@require_http_methods(["GET", "HEAD", "POST"])
def contact(request):
    """The form: what you need, how to reach you, and for a callback a time in your zone."""
    zone = _zone(request)
    signed_in = request.user.is_authenticated
    slots = availability.slots_open()
    if request.method != "POST":
        initial = {
            "time_zone": zone,
            "context_url": request.GET.get("from", "")[:500],
            "context_title": request.GET.get("title", "")[:200],
            "product": request.GET.get("product", "")[:255],
            "channel": request.GET.get("channel", "email"),
            "started": started_token(),
        }
        form = ContactForm(
            initial=initial, slots=slots, signed_in=signed_in, zone_name=zone
        )
        return render(
            request,
            "satisfaction/contact/contact_form.html",
            {"form": form, "zone": zone, "has_slots": bool(slots)},
        )
    form = ContactForm(request.POST, slots=slots, signed_in=signed_in, zone_name=zone)
    if form.is_valid():
        data = form.cleaned_data
        product = _product(data["product"])
        if data["channel"] == COMMUNITY:
            query = {"title": data["message"].splitlines()[0][:150]}
            if product:
                query["product"] = product.slug
            return redirect(reverse("community:ask") + "?" + urlencode(query))
        try:
            contact_request = services.contact_request_submit(
                customer=request.user if signed_in else None,
                email=data["email"],
                name=data["name"],
                phone=data["phone"],
                channel=data["channel"],
                message=data["message"],
                slot_start=data["slot"],
                time_zone=data["time_zone"],
                context_url=data["context_url"],
                context_title=data["context_title"],
                product=product,
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            if signed_in:
                messages.success(
                    request, _("Thank you. We will get back to you by the time shown.")
                )
                return redirect(contact_request)
            return redirect(reverse("satisfaction:contact_sent"))
    # A fresh render time, so fixing a mistake is not refused as "too quick".
    data = form.data.copy()
    data["started"] = started_token()
    form.data = data
    return render(
        request,
        "satisfaction/contact/contact_form.html",
        {"form": form, "zone": zone, "has_slots": bool(slots)},
        status=400,
    )


def contact_sent(request):
    return render(request, "satisfaction/contact/contact_sent.html")


@require_http_methods(["GET", "HEAD", "POST"])
def contact_confirm(request, token):
    """The emailed link: GET asks (mail scanners open links), POST confirms."""
    try:
        contact_request = contact_from_token(token, CONFIRM)
    except InvalidLink:
        return render(request, "satisfaction/contact/contact_invalid.html", status=404)
    if request.method == "POST":
        services.contact_request_confirm(contact=contact_request)
        messages.success(
            request, _("Confirmed. We will get back to you by the time shown.")
        )
        token = contact_token_make(contact_request, REPLY)
        return redirect(reverse("satisfaction:contact_reply", args=[token]))
    return render(
        request,
        "satisfaction/contact/contact_confirm.html",
        {"contact": contact_request},
    )


def _thread(request, contact_request, *, post_url):
    if request.method == "POST" and request.POST.get("action") == "cancel":
        try:
            services.contact_request_cancel(contact=contact_request, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Your request is cancelled."))
        return redirect(post_url)
    form = ReplyForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.contact_customer_reply(
                    contact=contact_request,
                    body=form.cleaned_data["body"],
                    by=request.user,
                )
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(
                    request, _("Your reply was added. We will be in touch.")
                )
                return redirect(post_url)
        status = 400
    return render(
        request,
        "satisfaction/contact/contact_thread.html",
        {
            "contact": contact_request,
            "thread": selectors.contact_thread(contact_request),
            "promised_local": services.local_time(contact_request),
            "form": form,
            "post_url": post_url,
        },
        status=status,
    )


@require_http_methods(["GET", "HEAD", "POST"])
def contact_reply(request, token):
    """The thread reached from an email: the signed link is the credential."""
    try:
        contact_request = contact_from_token(token, REPLY)
    except InvalidLink:
        return render(request, "satisfaction/contact/contact_invalid.html", status=404)
    return _thread(request, contact_request, post_url=request.path)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def contact_request(request, pk):
    """The thread from the customer's account."""
    contact_request = selectors.contact_get_for_customer(user=request.user, pk=pk)
    if contact_request is None:
        raise Http404
    return _thread(request, contact_request, post_url=request.path)
